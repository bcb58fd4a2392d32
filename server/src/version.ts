/** Replaced by the bundler (scripts/build.mjs) with package.json's version; tsc-compiled tests see the fallback. */
declare const LYNC_KST_VERSION: string;

export const VERSION = typeof LYNC_KST_VERSION === 'string' ? LYNC_KST_VERSION : '0.0.0-dev';
