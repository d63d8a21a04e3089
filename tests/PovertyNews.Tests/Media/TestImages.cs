using System.Text;
using SkiaSharp;

namespace PovertyNews.Tests.Media;

/// <summary>
/// Real image files made in the test: a picture whose top-left quarter is red and the rest blue (so turning and
/// mirroring can be seen), encoded by SkiaSharp, plus what SkiaSharp cannot write: EXIF segments and GIFs.
/// </summary>
public static class TestImages
{
    public static readonly SKColor Red = new(220, 20, 20);
    public static readonly SKColor Blue = new(20, 40, 220);

    public static SKBitmap Picture(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(Blue);
        using var paint = new SKPaint { Color = Red };
        canvas.DrawRect(0, 0, width / 2f, height / 2f, paint);
        return bitmap;
    }

    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png);

    public static byte[] Webp(int width, int height) => Encode(width, height, SKEncodedImageFormat.Webp);

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = Picture(width, height);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>Text hidden in the EXIF of <see cref="JpegWithExif"/>; the library must not keep it.</summary>
    public const string ExifSecret = "GPS 28.3N 109.7E camera-serial-4711";

    /// <summary>A JPEG with an APP1 Exif segment right after SOI: an image description and an orientation tag.</summary>
    public static byte[] JpegWithExif(int width, int height, ushort orientation = 1)
    {
        var jpeg = Jpeg(width, height);
        var text = Encoding.ASCII.GetBytes(ExifSecret + "\0");
        var tiff = new List<byte>();
        tiff.AddRange("II"u8.ToArray());
        tiff.AddRange(U16(42));
        tiff.AddRange(U32(8));                       // first IFD at offset 8
        tiff.AddRange(U16(2));                       // two entries, sorted by tag
        const int dataOffset = 8 + 2 + 2 * 12 + 4;
        tiff.AddRange(U16(0x010E)); tiff.AddRange(U16(2)); tiff.AddRange(U32((uint)text.Length)); tiff.AddRange(U32(dataOffset));
        tiff.AddRange(U16(0x0112)); tiff.AddRange(U16(3)); tiff.AddRange(U32(1)); tiff.AddRange(U16(orientation)); tiff.AddRange(U16(0));
        tiff.AddRange(U32(0));                       // no next IFD
        tiff.AddRange(text);
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new List<byte> { 0xFF, 0xE1 };
        segment.AddRange(BigEndian16(payload.Length + 2));
        segment.AddRange(payload);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>A GIF of two colours (red top-left quarter on blue); with <paramref name="frames"/> &gt; 1 an animation.</summary>
    public static byte[] Gif(int width, int height, int frames = 1)
    {
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8.ToArray());
        gif.AddRange(U16((ushort)width));
        gif.AddRange(U16((ushort)height));
        gif.Add(0b1000_0000);                        // global colour table of 2 entries
        gif.Add(0);
        gif.Add(0);
        gif.AddRange([Red.Red, Red.Green, Red.Blue, Blue.Red, Blue.Green, Blue.Blue]);
        if (frames > 1)
        {
            gif.AddRange([0x21, 0xFF, 11]);
            gif.AddRange("NETSCAPE2.0"u8.ToArray());
            gif.AddRange([3, 1, 0, 0, 0]);           // loop forever
        }
        for (var frame = 0; frame < frames; frame++)
        {
            gif.AddRange([0x21, 0xF9, 4, 0, 10, 0, 0, 0]); // 0.1 s a frame
            gif.Add(0x2C);
            gif.AddRange(U16(0)); gif.AddRange(U16(0));
            gif.AddRange(U16((ushort)width)); gif.AddRange(U16((ushort)height));
            gif.Add(0);
            gif.Add(2);                              // LZW minimum code size
            var indexes = new byte[width * height];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    // The second frame swaps the colours, so a test can tell which frame was kept.
                    var red = x < width / 2 && y < height / 2;
                    indexes[y * width + x] = (byte)(red ^ (frame % 2 == 1) ? 0 : 1);
                }
            }
            var lzw = Lzw(indexes);
            for (var i = 0; i < lzw.Length; i += 255)
            {
                var length = Math.Min(255, lzw.Length - i);
                gif.Add((byte)length);
                gif.AddRange(lzw.AsSpan(i, length).ToArray());
            }
            gif.Add(0);
        }
        gif.Add(0x3B);
        return [.. gif];
    }

    /// <summary>LZW that never grows its table: a clear code before every two pixels keeps codes 3 bits wide.</summary>
    private static byte[] Lzw(byte[] indexes)
    {
        const int clear = 4, end = 5;
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        void Emit(int code)
        {
            buffer |= code << bits;
            bits += 3;
            while (bits >= 8)
            {
                bytes.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }
        for (var i = 0; i < indexes.Length; i++)
        {
            if (i % 2 == 0)
            {
                Emit(clear);
            }
            Emit(indexes[i]);
        }
        Emit(end);
        if (bits > 0)
        {
            bytes.Add((byte)buffer);
        }
        return [.. bytes];
    }

    /// <summary>
    /// A PNG that claims <paramref name="width"/> × <paramref name="height"/> pixels in its header but is a few hundred
    /// bytes long: what a decompression bomb looks like before anyone decodes it.
    /// </summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var png = new List<byte> { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        var ihdr = new List<byte>();
        ihdr.AddRange(BigEndian32((uint)width));
        ihdr.AddRange(BigEndian32((uint)height));
        ihdr.AddRange([8, 2, 0, 0, 0]);              // 8-bit RGB
        Chunk(png, "IHDR", [.. ihdr]);
        // A few rows' worth of zlib data; the rest of the promised pixels never comes.
        using var compressed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(new byte[4096]);
        }
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return [.. png];
    }

    private static void Chunk(List<byte> png, string type, byte[] data)
    {
        png.AddRange(BigEndian32((uint)data.Length));
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.AddRange(typed);
        png.AddRange(BigEndian32(Crc32(typed)));
    }

    // PNG's CRC-32 (the zlib polynomial), to keep the test free of another package.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }

    public static bool ContainsExif(byte[] data) => IndexOf(data, "Exif\0\0"u8) >= 0;

    public static int IndexOf(byte[] data, ReadOnlySpan<byte> needle) => data.AsSpan().IndexOf(needle);

    private static byte[] U16(ushort value) => BitConverter.GetBytes(value);
    private static byte[] U16(int value) => BitConverter.GetBytes((ushort)value);
    private static byte[] U32(uint value) => BitConverter.GetBytes(value);
    private static byte[] BigEndian16(int value) => [(byte)(value >> 8), (byte)value];
    private static byte[] BigEndian32(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
