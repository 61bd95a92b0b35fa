import pkg from '../../package.json' with { type: 'json' };

/** codexSync's version, as recorded in handoff records and printed by --version. */
export const version: string = pkg.version;
