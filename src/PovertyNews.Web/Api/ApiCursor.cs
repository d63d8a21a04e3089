using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace PovertyNews.Web.Api;

/// <summary>
/// Where a page of articles ends: the last item's publication time and id, the order lists use (newest first, then
/// higher id), and a fingerprint of the filters that page was listed with. Opaque to partners (base64url of 16 bytes),
/// so its form can change without breaking them; a cursor stays valid while articles are published before it, which
/// page numbers would not. The fingerprint is there because a partner who sent the cursor alone, without the page's
/// channel or kind, silently got a page of another list (found by a partner building from the docs alone).
/// </summary>
public readonly record struct ApiCursor(DateTime PublishedAt, int Id, uint Filters = 0)
{
    private const int Length = 16;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, DateTime.SpecifyKind(PublishedAt, DateTimeKind.Utc).Ticks);
        BinaryPrimitives.WriteInt32BigEndian(bytes[8..], Id);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[12..], Filters);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    /// <summary>The fingerprint of a list's filters, as the list read them (trimmed, parsed); 0 for none at all.</summary>
    public static uint FiltersOf(params string?[] values)
    {
        if (values.All(v => v is null))
        {
            return 0;
        }
        var text = string.Join('\u001f', values.Select(v => v ?? "\u001e"));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Null for anything that is not a cursor this API made (wrong length, bad characters, impossible values).</summary>
    public static ApiCursor? Decode(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 32)
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return null;
        }
        if (bytes.Length != Length)
        {
            return null;
        }
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var id = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        var filters = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(12));
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || id <= 0)
        {
            return null;
        }
        var cursor = new ApiCursor(new DateTime(ticks, DateTimeKind.Utc), id, filters);
        // One canonical spelling per cursor: two spellings of one position would make two cache entries.
        return cursor.Encode() == text ? cursor : null;
    }
}
