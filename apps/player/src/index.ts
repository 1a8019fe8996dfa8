// The Node side of @kino/player: the browser bundle and the page the api serves. The
// browser code itself lives in ./browser and reaches browsers only through the bundle.
export { buildPlayerBundle, playerBundle, type PlayerBundle } from './bundle.ts';
export { playerPage, type PlayerPageOptions } from './page.ts';
