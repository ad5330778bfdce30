// The one error class of @zkvote/quorum. Every rejected configuration names where it came
// from (file, line, key) and says what was expected and what came instead.

export type QuorumConfigErrorCode =
  | 'SYNTAX' // Java Properties syntax (a malformed \uXXXX escape)
  | 'BAD_SERVER_SPEC' // server.N value not of the form host:port:port[:role][|…][;client]
  | 'BAD_PORT' // a port that is not a decimal integer
  | 'PORT_OUT_OF_RANGE' // a port outside 0..65535
  | 'SAME_PORTS' // quorum port equal to election port
  | 'BAD_ROLE' // role neither participant nor observer
  | 'MULTI_ADDRESS_DISABLED' // several addresses while multiAddress.enabled=false
  | 'MIXED_ROLES' // several addresses with different roles
  | 'BAD_ID' // the number after server./group./weight. is not a 64-bit integer
  | 'DUPLICATE_ID' // two keys name the same sid/gid (server.1 and server.01)
  | 'BAD_VERSION' // version= not a 64-bit hex number
  | 'UNRECOGNISED_PARAMETER' // a key a dynamic config may not contain
  | 'NO_PARTICIPANTS' // standaloneEnabled=false with no participant
  | 'OBSERVERS_WITHOUT_PARTICIPANTS'
  | 'OBSERVERS_WITHOUT_QUORUM' // one participant plus observers in standalone mode
  | 'SERVER_IN_MULTIPLE_GROUPS'
  | 'SERVER_NOT_IN_GROUP' // a participant of a hierarchical config in no group
  | 'BAD_GROUP' // group.N value not a ':'-list of sids
  | 'BAD_WEIGHT' // weight not a non-negative integer
  | 'MISSING_WEIGHT' // a non-participant listed in a group without an explicit weight
  | 'DYNAMIC_KEY_IN_STATIC' // server/group/weight in zoo.cfg while dynamicConfigFile is set
  | 'VERSION_IN_DYNAMIC' // version= inside a dynamic config file
  | 'BAD_NUMBER' // an integer setting that is not an integer
  | 'BAD_BOOLEAN' // a setting that must be exactly true or false
  | 'BAD_ELECTION_ALG' // electionAlg other than 3
  | 'MISSING_SETTING' // dataDir, tickTime, initLimit, syncLimit, clientPort when required
  | 'BAD_SETTING'; // other cross-setting rules (session timeouts, ...)

export interface QuorumConfigErrorInit {
  file?: string | undefined;
  line?: number | undefined;
  key?: string | undefined;
}

const BRAND = Symbol.for('@zkvote/quorum.QuorumConfigError');

export class QuorumConfigError extends Error {
  readonly code: QuorumConfigErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly key: string | undefined;
  /** The message without the file:line: key: prefix. */
  readonly detail: string;
  readonly [BRAND] = true;

  constructor(code: QuorumConfigErrorCode, detail: string, where: QuorumConfigErrorInit = {}) {
    super(`${locate(where)}${detail}`);
    this.name = 'QuorumConfigError';
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.key = where.key;
    this.detail = detail;
  }

  /** Cross-realm check (works across duplicated package copies, unlike `instanceof`). */
  static isInstance(e: unknown): e is QuorumConfigError {
    return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
  }
}

function locate(w: QuorumConfigErrorInit): string {
  let at = w.file ?? '';
  if (w.line !== undefined) at += `${at ? ':' : 'line '}${w.line}`;
  if (at) at += ': ';
  if (w.key !== undefined) at += `${w.key}: `;
  return at;
}

/** Quote a value for an error message, bounded so huge inputs do not flood logs. */
export function show(value: string): string {
  const s = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(s);
}
