// hls.js ships types for its full build only; the light build has the same API minus the
// features it leaves out (subtitles, alternate audio, DRM, CMCD), none of which we use.
declare module 'hls.js/dist/hls.light.mjs' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
