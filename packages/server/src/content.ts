import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's content/ folder: reference data and the demo banks. */
export const CONTENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../content');
export const REPO_ROOT = path.resolve(CONTENT_DIR, '..');
