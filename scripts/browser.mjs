// Finds a Chromium for the browser tests, installing Debian's package when allowed.
// Order: $CHROME_PATH, /usr/bin/chromium, google-chrome / chromium on PATH, then
// `apt-get install chromium` when running as root on a machine with apt-get.
import { existsSync } from 'node:fs';
import { execSync, spawnSync } from 'node:child_process';

function onPath(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : null;
}

/** Path of a Chromium-family executable, or null. */
export function findBrowser() {
  if (process.env.CHROME_PATH && existsSync(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return onPath('google-chrome') ?? onPath('chromium') ?? onPath('chromium-browser');
}

/** Finds a browser or installs Debian's chromium; exits with instructions when neither works. */
export function ensureBrowser() {
  let path = findBrowser();
  if (path) return path;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && onPath('apt-get')) {
    console.log('[gatescope] no Chromium found: installing Debian package "chromium" with apt-get');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
    path = findBrowser();
    if (path) return path;
  }
  console.error(
    '[gatescope] No Chromium-family browser found. Install one and/or point CHROME_PATH at it:\n' +
      '  Debian/Ubuntu: sudo apt-get install chromium\n' +
      '  or: export CHROME_PATH=/path/to/chrome',
  );
  process.exit(2);
}

/** Chromium flags for WebGPU on a headless machine without network access. */
export function browserArgs() {
  const args = [
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}
