// Public surface of @zkvote/wire: bytes <-> typed values for ZooKeeper's election port.

export * from './constants.js';
export { WireError, type WireErrorCode } from './errors.js';
export { ServerState, stateName, isKnownState, type ServerStateName } from './state.js';
export {
  buildMsg,
  parse,
  tryParse,
  configText,
  type Notification,
  type NotificationInit,
  type NotificationLayout,
  type BuildLayout,
  type ParsedNotification,
  type TryParseResult,
} from './notification.js';
export {
  buildHandshake,
  parseHandshake,
  HandshakeReader,
  type Handshake,
  type HandshakeInit,
  type HandshakeProtocol,
  type HandshakeParseResult,
  type HandshakeReaderResult,
} from './handshake.js';
export { parseHostPort, formatHostPort, parseAddressList, isWildcardHost, type HostPort } from './address.js';
export { encodeFrame, FrameDecoder, type FrameOptions } from './framing.js';
export { zxidEpoch, zxidCounter, makeZxid, formatZxid, formatZxid0x } from './zxid.js';
export { toHex, fromHex } from './bytes.js';
