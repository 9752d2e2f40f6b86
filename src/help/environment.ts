/**
 * The environment variables hss reads, grouped, with what each means: `hss help environment` and
 * docs/commands.md read them.
 */

export interface EnvironmentEntry {
  names: string[];
  /** The flag that sets the same thing, when there is one. */
  option?: string;
  meaning: string;
}

export interface EnvironmentGroup {
  title: string;
  entries: EnvironmentEntry[];
}

export const ENVIRONMENT: readonly EnvironmentGroup[] = [
  {
    title: 'Target',
    entries: [
      {
        names: ['HSS_PROFILE'],
        option: '-p, --profile',
        meaning: "profile to use; else the store's current profile, else `default`",
      },
      {
        names: ['HSS_REGION'],
        option: '-r, --region',
        meaning:
          'region, e.g. cn-north-4; for task list also a comma list or all. Set for a credential command run for one project of several',
      },
      {
        names: ['HSS_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID'],
        option: '--project-id',
        meaning: 'project ID (1–256 characters); set for a credential command run for one project of several',
      },
      {
        names: ['HSS_ENTERPRISE_PROJECT_ID'],
        option: '-e, --enterprise-project',
        meaning: 'enterprise project ID, or all_granted_eps',
      },
      {
        names: ['HSS_ENDPOINT'],
        option: '--endpoint',
        meaning: 'HSS base URL; default https://hss.{region}.myhuaweicloud.com',
      },
      {
        names: ['HSS_IAM_ENDPOINT', 'HUAWEICLOUD_SDK_IAM_ENDPOINT'],
        option: '--iam-endpoint',
        meaning: 'IAM base URL; default https://iam.myhuaweicloud.com',
      },
    ],
  },
  {
    title: 'Credentials',
    entries: [
      { names: ['HSS_TOKEN'], option: '--token-stdin', meaning: 'X-Auth-Token' },
      {
        names: ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN'],
        meaning: 'access key, secret key and security token for AK/SK signing',
      },
      {
        names: ['HSS_CREDENTIAL_COMMAND_TIMEOUT'],
        meaning: "how long a profile's credential command may run; default 30s",
      },
    ],
  },
  {
    title: 'Requests',
    entries: [
      { names: ['HSS_TIMEOUT'], option: '--timeout', meaning: 'per-request timeout; default 30s' },
      {
        names: ['HSS_MAX_ATTEMPTS'],
        option: '--max-attempts',
        meaning: 'attempts for retryable failures; default 3, 1 disables retries',
      },
      {
        names: ['HSS_CA_BUNDLE'],
        option: '--ca-bundle',
        meaning: 'extra PEM CAs, added to the system roots and NODE_EXTRA_CA_CERTS',
      },
      {
        names: ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'],
        meaning: 'proxy settings (upper or lower case), honoured by every request',
      },
      {
        names: ['NODE_EXTRA_CA_CERTS'],
        meaning: 'extra PEM CAs read by Node.js; hss keeps them when --ca-bundle adds more',
      },
      {
        names: ['NODE_TLS_REJECT_UNAUTHORIZED'],
        meaning: 'ignored: hss always checks certificates; add a CA with --ca-bundle instead',
      },
    ],
  },
  {
    title: 'Output',
    entries: [
      {
        names: ['HSS_OUTPUT'],
        option: '-o, --output',
        meaning: 'output format: text (default), json or yaml',
      },
      {
        names: ['HSS_PAGER', 'PAGER'],
        option: '--no-pager',
        meaning:
          'pager for output longer than the terminal, on a terminal only (never under CI); default `less -FRX`; empty or `cat`: none. Run without a shell: a command and its arguments',
      },
      {
        names: ['HSS_DEBUG'],
        option: '--debug',
        meaning: '1: HTTP exchanges to stderr, every secret masked',
      },
      { names: ['NO_COLOR'], option: '--no-color', meaning: 'set and not empty: no colour' },
      {
        names: ['FORCE_COLOR'],
        meaning: 'colour even when the output is not a terminal; 0 or false: never (NO_COLOR wins)',
      },
      { names: ['CI'], meaning: 'set (and not 0 or false): no colour, no spinners, no pager' },
      { names: ['TERM'], meaning: '`dumb`: no colour, no spinners, no pager' },
    ],
  },
  {
    title: 'Files',
    entries: [
      {
        names: ['HSS_CONFIG_DIR'],
        meaning: 'folder of the profile store and credential cache; default $XDG_CONFIG_HOME/hss',
      },
      {
        names: ['XDG_CONFIG_HOME'],
        meaning: 'base of the default config folder; default ~/.config (%APPDATA% on Windows)',
      },
      {
        names: ['HSS_COMPILE_CACHE'],
        meaning:
          'folder of compiled code kept between runs, for start-up speed; 0, false or off: none; default $XDG_CACHE_HOME/hss/compile (~/Library/Caches/hss/compile on macOS, %LOCALAPPDATA%\\hss\\Cache\\compile on Windows)',
      },
      {
        names: ['XDG_CACHE_HOME'],
        meaning: 'base of the default compile cache folder; default ~/.cache',
      },
      {
        names: ['NODE_DISABLE_COMPILE_CACHE'],
        meaning: "1: no compiled code kept between runs, as for Node's own compile cache",
      },
    ],
  },
];

export const ENVIRONMENT_NOTES: readonly string[] = [
  'Precedence for every setting: flag > environment > profile > default.',
  "An explicit --profile (or HSS_PROFILE) makes that profile's credentials win over credential variables.",
  'No secret is ever taken from a flag value: secrets come from standard input, the environment, a credential command or the store.',
];
