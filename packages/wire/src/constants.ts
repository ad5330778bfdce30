// Numbers fixed by ZooKeeper's election protocol (PROTOCOL.md §1-§3). Code and error messages
// refer to these names so a limit is stated once.

/** Handshake first long announcing a single-address initial message (3.5+). */
export const PROTOCOL_VERSION_V1 = -65536n;
/** Handshake first long announcing a `|`-separated multi-address initial message (3.6+). */
export const PROTOCOL_VERSION_V2 = -65535n;
/** Largest address string an acceptor takes (`maxBuffer`); 0 and negatives are refused too. */
export const MAX_ADDRESS_LENGTH = 2048;
/** `QuorumPeer.OBSERVER_ID`: sid of id-less legacy observers. */
export const OBSERVER_ID = 0x7fffffffffffffffn;

/** Largest frame payload a receiver accepts (`PACKETMAXSIZE`, 512 KiB). */
export const MAX_FRAME_LENGTH = 524_288;
export const FRAME_HEADER_LENGTH = 4;

/** Notification format version written by 3.5-3.9 (`Notification.CURRENTVERSION`). */
export const NOTIFICATION_CURRENT_VERSION = 2;
/** Version written in the trailing int of the 40-byte layout by 3.4.6-3.4.14. */
export const NOTIFICATION_V0_40_TRAILING_VERSION = 1;
/** Payload sizes of the fixed layouts and the v2 header (before the config bytes). */
export const LEGACY28_LENGTH = 28;
export const V0_40_LENGTH = 40;
export const V2_HEADER_LENGTH = 44;
/** Largest config that still fits in one frame. */
export const MAX_CONFIG_LENGTH = MAX_FRAME_LENGTH - V2_HEADER_LENGTH;

export const INT32_MIN = -0x8000_0000;
export const INT32_MAX = 0x7fff_ffff;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
