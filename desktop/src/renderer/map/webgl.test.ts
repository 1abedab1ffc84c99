import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, svgMapForced } from './webgl';

describe('isSoftwareRenderer', () => {
  it.each([
    [{ vendor: 'Google Inc. (Google)', renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)' }, true],
    [{ vendor: 'Mesa', renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, true],
    [{ vendor: 'Microsoft', renderer: 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)' }, true],
    [{ vendor: 'Google Inc. (NVIDIA)', renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)' }, false],
    [{ vendor: 'Intel', renderer: 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)' }, false],
    [{}, false],
  ])('%j → %s', (info, software) => expect(isSoftwareRenderer(info)).toBe(software));
});

describe('svgMapForced', () => {
  it('only with ?svgmap', () => {
    expect(svgMapForced('?svgmap')).toBe(true);
    expect(svgMapForced('?loadtest=200&svgmap=1')).toBe(true);
    expect(svgMapForced('?loadtest=200')).toBe(false);
  });
});
