import { fileURLToPath } from 'node:url';

/** Shared read-only data, next to the project root (../shared). */
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** This project's test fixtures. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
