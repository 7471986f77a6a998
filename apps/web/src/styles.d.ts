// Global stylesheets are imported for their side effect (TypeScript 6 checks such imports).
declare module '*.css';
