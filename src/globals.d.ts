/** GateScope's version from package.json (vite.config.ts `define`), written into exported files. */
declare const __APP_VERSION__: string;
