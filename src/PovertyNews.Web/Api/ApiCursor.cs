using System.Buffers.Binary;
using Microsoft.AspNetCore.WebUtilities;

namespace PovertyNews.Web.Api;

/// <summary>
/// Where a page of articles ends: the last item's publication time and id, the order lists use (newest first, then
/// higher id). Opaque to partners (base64url of 12 bytes), so its form can change without breaking them; a cursor
/// stays valid while articles are published before it, which page numbers would not.
/// </summary>
public readonly record struct ApiCursor(DateTime PublishedAt, int Id)
{
    private const int Length = 12;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, DateTime.SpecifyKind(PublishedAt, DateTimeKind.Utc).Ticks);
        BinaryPrimitives.WriteInt32BigEndian(bytes[8..], Id);
        return WebEncoders.Base64UrlEncode(bytes);
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
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || id <= 0)
        {
            return null;
        }
        var cursor = new ApiCursor(new DateTime(ticks, DateTimeKind.Utc), id);
        // One canonical spelling per cursor: two spellings of one position would make two cache entries.
        return cursor.Encode() == text ? cursor : null;
    }
}
