export function findBrowser(): string | null;
export function ensureBrowser(): string;
export function browserArgs(): string[];
