import { jpegOrientation, stripImageMetadata } from './metadata';

const seg = (marker: number, payload: number[]): number[] => [
  0xff,
  marker,
  (payload.length + 2) >> 8,
  (payload.length + 2) & 0xff,
  ...payload,
];
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** A JPEG's header segments around an EXIF block that names a place and turns the image. */
function jpegWithExif(orientation: number): Uint8Array {
  // TIFF, little-endian, one IFD with one entry: Orientation (0x0112), SHORT, 1, value.
  const tiff = [
    0x49,
    0x49,
    0x2a,
    0x00,
    8,
    0,
    0,
    0,
    1,
    0,
    0x12,
    0x01,
    3,
    0,
    1,
    0,
    0,
    0,
    orientation,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  return new Uint8Array([
    0xff,
    0xd8,
    ...seg(0xe0, ascii('JFIF\0')),
    ...seg(0xe1, [...ascii('Exif\0\0'), ...tiff, ...ascii('GPS 52.52N 13.40E')]),
    ...seg(0xe2, ascii('ICC_PROFILE\0')),
    ...seg(0xfe, ascii('taken at the safe house')),
    ...seg(0xdb, [0, 1, 2]),
    0xff,
    0xda,
    0,
    2,
    0x11,
    0x22,
    0xff,
    0xd9,
  ]);
}

const text = (b: Uint8Array): string => String.fromCharCode(...b);

describe('image metadata', () => {
  it('drops a JPEG’s EXIF, XMP and comments, keeps its header, colour profile and image data', () => {
    const jpeg = jpegWithExif(1);
    const out = stripImageMetadata(jpeg, 'image/jpeg')!;
    expect(text(out)).not.toContain('GPS');
    expect(text(out)).not.toContain('safe house');
    expect(text(out)).toContain('JFIF');
    expect(text(out)).toContain('ICC_PROFILE');
    // The scan and everything after it, untouched.
    expect([...out.slice(-8)]).toEqual([...jpeg.slice(-8)]);
    expect(out[0]).toBe(0xff);
    expect(out[1]).toBe(0xd8);
  });

  it('reads the orientation a photo would need to be turned by', () => {
    expect(jpegOrientation(jpegWithExif(6))).toBe(6);
    expect(jpegOrientation(jpegWithExif(1))).toBe(1);
    expect(jpegOrientation(new Uint8Array([0xff, 0xd8, ...seg(0xe0, ascii('JFIF\0'))]))).toBe(1);
  });

  it('drops a PNG’s text and EXIF chunks, keeps the rest byte for byte', () => {
    const chunk = (type: string, data: number[]): number[] => [
      0,
      0,
      0,
      data.length,
      ...ascii(type),
      ...data,
      1,
      2,
      3,
      4,
    ];
    const ihdr = chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    const idat = chunk('IDAT', [9, 9, 9]);
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...ihdr,
      ...chunk('tEXt', ascii('Author\0Nadia')),
      ...chunk('eXIf', ascii('GPS')),
      ...idat,
      ...chunk('IEND', []),
    ]);
    const out = stripImageMetadata(png, 'image/png')!;
    expect(text(out)).not.toContain('Nadia');
    expect(text(out)).not.toContain('GPS');
    expect([...out]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...ihdr, ...idat, ...chunk('IEND', [])]);
  });

  it('leaves what it does not recognise to the caller', () => {
    expect(stripImageMetadata(new Uint8Array([1, 2, 3]), 'image/jpeg')).toBeNull();
    expect(stripImageMetadata(new Uint8Array([1, 2, 3]), 'image/gif')).toBeNull();
  });
});
