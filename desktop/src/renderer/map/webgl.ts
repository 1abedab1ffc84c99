interface GlSupport {
  webgl2: boolean;
  /** drawn by the CPU (SwiftShader, llvmpipe, …): every pixel and every redraw costs main-thread time */
  software: boolean;
}

let support: GlSupport | undefined;

function probe(): GlSupport {
  try {
    if (new URLSearchParams(window.location.search).has('svgmap')) return { webgl2: false, software: false };
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return { webgl2: false, software: false };
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { webgl2: true, software: /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer) };
  } catch {
    return { webgl2: false, software: false };
  }
}

/** True when WebGL2 works here (deck.gl needs it); otherwise the overview draws the SVG map. */
export function hasWebGL2(): boolean {
  support ??= probe();
  return support.webgl2;
}

/** True when WebGL is rendered in software: the map then draws at one pixel per CSS pixel. */
export function isSoftwareGL(): boolean {
  support ??= probe();
  return support.software;
}
