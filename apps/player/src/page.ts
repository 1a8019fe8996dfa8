export interface PlayerPageOptions {
  /** A signed bootstrap; when the asset is not playable yet, the player polls `playbackUrl` instead. */
  bootstrap: object | undefined;
  /** Where the page gets a fresh bootstrap (same origin). */
  playbackUrl: string;
  /** The player module, ideally with a version so it can be cached for good. */
  bundleUrl: string;
  autoplay?: boolean | undefined;
  muted?: boolean | undefined;
  controls?: boolean | undefined;
  startTime?: number | undefined;
}

const escapeAttribute = (s: string) => s.replace(/[&"<>']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON that cannot end the script element it sits in. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * A whole page holding one <kino-player>, filling the window (for iframes and links). It
 * loads only the player module from the same origin: no font, icon or CDN request.
 */
export function playerPage(o: PlayerPageOptions): string {
  const attrs = [
    `playback="${escapeAttribute(o.bootstrap ? JSON.stringify(o.bootstrap) : o.playbackUrl)}"`,
    o.controls !== false ? 'controls' : '',
    o.autoplay ? 'autoplay' : '',
    o.muted ? 'muted' : '',
    o.startTime ? `start-time="${o.startTime}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kino player</title>
<link rel="icon" href="data:,">
<link rel="modulepreload" href="${escapeAttribute(o.bundleUrl)}">
<style>html, body { margin: 0; height: 100%; background: #000; } kino-player { width: 100%; height: 100%; aspect-ratio: auto; }</style>
</head>
<body>
<kino-player ${attrs}></kino-player>
<script type="module">
import ${scriptJson(o.bundleUrl)};
document.querySelector('kino-player').refresh = async () => {
  const res = await fetch(${scriptJson(o.playbackUrl)}, { cache: 'no-store' });
  if (!res.ok) throw new Error('playback answered ' + res.status);
  return res.json();
};
</script>
</body>
</html>
`;
}
