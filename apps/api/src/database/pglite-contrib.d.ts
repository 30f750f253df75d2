// PGlite publishes its contrib extensions as subpath exports, which the CommonJS build's
// `node10` module resolution cannot see; Node resolves them at run time.
declare module '@electric-sql/pglite/contrib/btree_gist' {
  import type { Extension } from '@electric-sql/pglite';
  export const btree_gist: Extension;
}
