// `npm install` / `npm ci` run this (the `prepare` script): the api then serves the cached
// bundle without loading esbuild. A failed build fails the install rather than the first page.
import { preparePlayerBundle } from './bundle.ts';

await preparePlayerBundle();
