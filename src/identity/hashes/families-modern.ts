import type { HashFamily } from './hash-family.ts';

/** Hash families of this group, in detection order (a more specific prefix before a more general one). */
export const families: HashFamily[] = [];
