// The browser bundle's entry (`/player/kino-player.js`): importing it defines <kino-player>.
import { KinoPlayerElement } from './element.ts';
import type { Bootstrap, RefreshBootstrap } from './types.ts';

export { KinoPlayerElement };
export type { Bootstrap, RefreshBootstrap, Rendition, PlayerErrorCode } from './types.ts';

if (!customElements.get('kino-player')) customElements.define('kino-player', KinoPlayerElement);

export interface MountOptions {
  playback: Bootstrap | string;
  refresh?: RefreshBootstrap;
  autoplay?: boolean;
  muted?: boolean;
  controls?: boolean;
  startTime?: number;
}

/** Creates a <kino-player> inside `el` and returns it; the same as writing the tag. */
export function mount(el: HTMLElement, options: MountOptions): KinoPlayerElement {
  const player = document.createElement('kino-player') as KinoPlayerElement;
  player.refresh = options.refresh;
  for (const flag of ['autoplay', 'muted', 'controls'] as const) player.toggleAttribute(flag, !!options[flag]);
  if (options.startTime) player.setAttribute('start-time', String(options.startTime));
  player.playback = options.playback;
  el.append(player);
  return player;
}
