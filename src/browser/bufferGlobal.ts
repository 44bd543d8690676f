import { Buffer } from 'buffer';

// isomorphic-git reads a global Buffer when its modules load: import this module first.
(globalThis as any).Buffer ??= Buffer;
