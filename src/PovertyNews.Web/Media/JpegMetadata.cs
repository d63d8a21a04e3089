namespace PovertyNews.Web.Media;

/// <summary>
/// Copies a JPEG without its metadata and without decoding it: the compressed pixels (tables, frame and scans) go
/// through byte for byte, so the stored photo is the photographer's, with no second generation of JPEG loss, and no
/// 48 MB bitmap of a 12-megapixel photo is needed to store it. Left out: EXIF and XMP (APP1, with GPS, serial numbers
/// and a thumbnail that may show what a crop removed), IPTC and Photoshop blocks (APP13), comments, every other
/// application segment, a JFIF thumbnail, and anything after the end of the image (trailing files, a phone's second
/// picture). Kept because they change how the pixels look: JFIF's header, the ICC colour profile (APP2) and Adobe's
/// colour transform flag (APP14, needed to read CMYK).
/// </summary>
/// <remarks>
/// Only the segment structure of ITU T.81 is read (markers, lengths, and 0xFF stuffing in the entropy-coded data);
/// whether the pixels decode is for Skia to say afterwards. No library on NuGet writes JPEG segments without
/// re-encoding (SkiaSharp and the BCL have none; MetadataExtractor only reads).
/// </remarks>
public static class JpegMetadata
{
    private const int Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA, App0 = 0xE0, App2 = 0xE2, App14 = 0xEE, Com = 0xFE;

    /// <summary>
    /// Writes <paramref name="input"/> to <paramref name="output"/> without metadata. False when the file does not have
    /// a JPEG's segment structure (or ends before its end marker); what was written by then is to be thrown away.
    /// </summary>
    public static bool TryStrip(Stream input, Stream output)
    {
        var reader = new Reader(input);
        if (reader.Read() != 0xFF || reader.Read() != Soi)
        {
            return false;
        }
        output.Write([0xFF, Soi]);
        var marker = reader.NextMarker();
        var payload = new byte[ushort.MaxValue];
        while (marker >= 0)
        {
            if (marker == Eoi)
            {
                output.Write([0xFF, Eoi]);
                return true;
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                // Restart markers and TEM stand alone, without a length.
                output.Write([0xFF, (byte)marker]);
                marker = reader.NextMarker();
                continue;
            }
            var (high, low) = (reader.Read(), reader.Read());
            if (low < 0 || (high << 8 | low) < 2)
            {
                return false;
            }
            var length = (high << 8 | low) - 2;
            if (!reader.ReadExactly(payload.AsSpan(0, length)))
            {
                return false;
            }
            var kept = Kept(marker, payload.AsSpan(0, length));
            if (kept.Length > 0 || !IsMetadata(marker))
            {
                var written = kept.Length + 2;
                output.Write([0xFF, (byte)marker, (byte)(written >> 8), (byte)written]);
                output.Write(kept);
            }
            marker = marker == Sos ? reader.CopyScan(output) : reader.NextMarker();
        }
        return false;
    }

    private static bool IsMetadata(int marker) => marker is >= App0 and <= 0xEF or Com;

    /// <summary>What of a segment's payload is kept: all of it for the image's own segments, none or part for metadata.</summary>
    private static ReadOnlySpan<byte> Kept(int marker, Span<byte> payload)
    {
        switch (marker)
        {
            case App0 when payload.Length >= 14 && payload.StartsWith("JFIF\0"u8):
                // Version, density units and densities; the thumbnail's size set to none and its pixels dropped.
                payload[12] = 0;
                payload[13] = 0;
                return payload[..14];
            case App2 when payload.StartsWith("ICC_PROFILE\0"u8):
            case App14 when payload.StartsWith("Adobe"u8):
                return payload;
            default:
                return IsMetadata(marker) ? [] : payload;
        }
    }

    /// <summary>A buffered reader that can hand over runs of entropy-coded bytes without looking at each one twice.</summary>
    private sealed class Reader(Stream input)
    {
        private readonly byte[] _buffer = new byte[81920];
        private int _position, _length;

        public int Read() => _position < _length || Fill() ? _buffer[_position++] : -1;

        public bool ReadExactly(Span<byte> target)
        {
            while (target.Length > 0)
            {
                if (_position == _length && !Fill())
                {
                    return false;
                }
                var count = Math.Min(target.Length, _length - _position);
                _buffer.AsSpan(_position, count).CopyTo(target);
                _position += count;
                target = target[count..];
            }
            return true;
        }

        /// <summary>The next marker's code (fill bytes 0xFF before it skipped); -1 at the end or when no marker follows.</summary>
        public int NextMarker()
        {
            if (Read() != 0xFF)
            {
                return -1;
            }
            int code;
            while ((code = Read()) == 0xFF)
            {
            }
            return code;
        }

        /// <summary>
        /// Copies a scan's entropy-coded data up to the marker that ends it (a stuffed 0xFF 0x00 and restart markers are
        /// data) and returns that marker's code, -1 at the end of the file.
        /// </summary>
        public int CopyScan(Stream output)
        {
            while (true)
            {
                if (_position == _length && !Fill())
                {
                    return -1;
                }
                var run = _buffer.AsSpan(_position, _length - _position);
                var ff = run.IndexOf((byte)0xFF);
                if (ff < 0)
                {
                    output.Write(run);
                    _position = _length;
                    continue;
                }
                output.Write(run[..ff]);
                _position += ff + 1;
                int code;
                while ((code = Read()) == 0xFF)
                {
                }
                if (code < 0)
                {
                    return -1;
                }
                if (code is not (0x00 or >= 0xD0 and <= 0xD7))
                {
                    return code;
                }
                output.Write([0xFF, (byte)code]);
            }
        }

        private bool Fill()
        {
            _position = 0;
            _length = input.Read(_buffer);
            return _length > 0;
        }
    }
}
