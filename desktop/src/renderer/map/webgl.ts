let supported: boolean | undefined;

/** True when WebGL2 works here (deck.gl needs it); otherwise the overview draws the SVG map. */
export function hasWebGL2(): boolean {
  if (supported !== undefined) return supported;
  try {
    if (new URLSearchParams(window.location.search).has('svgmap')) return (supported = false);
    const canvas = document.createElement('canvas');
    supported = !!canvas.getContext('webgl2');
  } catch {
    supported = false;
  }
  return supported;
}
