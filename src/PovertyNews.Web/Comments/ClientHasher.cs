using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PovertyNews.Web.Comments;

/// <summary>
/// The only trace of a commenter's address: HMAC-SHA256 of it with a secret key, hex. Without the key the hash cannot
/// be turned back into an address by trying all of them; the retention pass drops it after the retention period.
/// </summary>
public sealed class ClientHasher
{
    private readonly byte[] _key;

    public ClientHasher(IOptions<CommentOptions> options, CommentKeyFile file, ILogger<ClientHasher> logger)
    {
        if (options.Value.ClientHashKey is { Length: > 0 } configured)
        {
            _key = Encoding.UTF8.GetBytes(configured);
            return;
        }
        _key = file.ReadOrCreate(logger);
    }

    public string Hash(IPAddress? address)
    {
        // IPv4 seen through an IPv6 socket is the same client as plain IPv4.
        var text = address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>Where the generated key lives when none is configured: the data folder, which outlives restarts.</summary>
public sealed class CommentKeyFile(string path)
{
    public byte[] ReadOrCreate(ILogger logger)
    {
        try
        {
            if (File.Exists(path) && Convert.FromBase64String(File.ReadAllText(path).Trim()) is { Length: >= 32 } existing)
            {
                return existing;
            }
            var key = RandomNumberGenerator.GetBytes(32);
            File.WriteAllText(path, Convert.ToBase64String(key));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            logger.LogInformation("Comments: made a client-hash key at {Path}; nodes sharing a database need PovertyNews:Comments:ClientHashKey", path);
            return key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            logger.LogWarning(ex, "Comments: the client-hash key at {Path} cannot be kept; using one for this process only", path);
            return RandomNumberGenerator.GetBytes(32);
        }
    }
}
