/**
 * What the overview map needs to know about WebGL, decided without creating a context of its own:
 * creating one is a synchronous call into the GPU process, which on software GL can be busy for
 * seconds with another window's shaders — sign-in and the first paint must never wait for that.
 */

/** `?svgmap` in the URL forces the SVG map (old GPU, remote desktop, or to compare). */
export function svgMapForced(search: string): boolean {
  return new URLSearchParams(search).has('svgmap');
}

/** True for renderers that draw on the CPU (SwiftShader, llvmpipe, Microsoft Basic Render, …). */
export function isSoftwareRenderer(info: { vendor?: string; renderer?: string }): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(`${info.vendor ?? ''} ${info.renderer ?? ''}`);
}
