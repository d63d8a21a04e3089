using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PovertyNews.Web.Domain;

/// <summary>
/// The canonical form of an audit entry and its SHA-256, the links of the audit log's hash chain.
/// </summary>
/// <remarks>
/// Canonical form, version 1 (bytes, no separators beyond those shown):
/// <code>
/// "povertynews-audit-v1\n" field(sequence) field(at) field(userId) field(userName) field(action) field(target)
///                          field(details) field(clientAddress) field(previousHash)
/// field(null)  = "~\n"
/// field(value) = decimal byte length of UTF-8(value) ":" UTF-8(value) "\n"
/// </code>
/// sequence is the decimal <see cref="AuditEntry.Sequence"/>; at is the time in UTC as ISO 8601 with seven
/// fractional digits and a Z (<c>2026-12-05T10:35:39.1234567Z</c>, exactly what the database keeps); previousHash is
/// the previous entry's hash in lower-case hex (<see cref="Genesis"/> for the first entry ever). Strings are hashed
/// as stored, without normalisation. The length prefix makes the form unambiguous whatever a field contains (a
/// newline, a colon, "~"), and a null differs from an empty string. The hash is the lower-case hex SHA-256 of these
/// bytes. <see cref="AuditEntry.Id"/> is not hashed: the database assigns it after the hash is computed, and the
/// sequence orders the chain instead.
/// </remarks>
public static class AuditHash
{
    public const string Version = "povertynews-audit-v1";

    /// <summary>The "previous hash" of the first entry of a chain that was never pruned: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    public static byte[] Canonical(AuditEntry entry)
    {
        var buffer = new List<byte>(256);
        buffer.AddRange(Encoding.UTF8.GetBytes(Version + "\n"));
        Field(buffer, entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(buffer, FormatTime(entry.At));
        Field(buffer, entry.UserId);
        Field(buffer, entry.UserName);
        Field(buffer, entry.Action);
        Field(buffer, entry.Target);
        Field(buffer, entry.Details);
        Field(buffer, entry.ClientAddress);
        Field(buffer, entry.PreviousHash);
        return [.. buffer];
    }

    /// <summary>The entry's hash over its content and <see cref="AuditEntry.PreviousHash"/>.</summary>
    public static string Compute(AuditEntry entry) => Convert.ToHexStringLower(SHA256.HashData(Canonical(entry)));

    /// <summary>
    /// Whether <paramref name="entry"/>'s content gives <paramref name="hash"/>. <paramref name="storedToMicroseconds"/>:
    /// the database keeps times to the microsecond (PostgreSQL's timestamp), so an entry hashed at the clock's 100 ns
    /// (every entry written on SQLite, and on PostgreSQL before the insert) comes back with its last digit zeroed;
    /// the ten digits it may have had are tried. Moving the time within its microsecond is all this lets pass.
    /// </summary>
    public static bool Matches(AuditEntry entry, string hash, bool storedToMicroseconds)
    {
        if (Compute(entry) == hash)
        {
            return true;
        }
        if (!storedToMicroseconds || entry.At.Ticks % 10 != 0)
        {
            return false;
        }
        var stored = entry.At;
        try
        {
            for (var digit = 1; digit < 10; digit++)
            {
                entry.At = stored.AddTicks(digit);
                if (Compute(entry) == hash)
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            entry.At = stored;
        }
    }

    /// <summary>Sets <paramref name="entry"/>'s sequence, previous hash and hash as the link after (<paramref name="previousSequence"/>, <paramref name="previousHash"/>).</summary>
    public static void Link(AuditEntry entry, long previousSequence, string previousHash)
    {
        entry.Sequence = previousSequence + 1;
        entry.PreviousHash = previousHash;
        // To the microsecond: PostgreSQL keeps no finer, and the hash must hold for the time as read back. (Entries
        // linked before keep their seven digits; the canonical form is unchanged.)
        entry.At = entry.At.AddTicks(-(entry.At.Ticks % TimeSpan.TicksPerMicrosecond));
        entry.Hash = Compute(entry);
    }

    /// <summary>UTC, ISO 8601, seven fractional digits: the tick resolution the database stores.</summary>
    public static string FormatTime(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc);
        return utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'", CultureInfo.InvariantCulture);
    }

    private static void Field(List<byte> buffer, string? value)
    {
        if (value is null)
        {
            buffer.AddRange("~\n"u8);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        buffer.AddRange(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        buffer.AddRange(bytes);
        buffer.Add((byte)'\n');
    }
}
