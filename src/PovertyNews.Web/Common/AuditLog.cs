using System.Security.Claims;
using System.Text;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Common;

/// <summary>
/// Writes the audit log. Entries are added to the caller's unit of work, so they commit (or not) together with
/// the change they describe; each is also logged, with control characters removed so no input can forge a line.
/// </summary>
public sealed class AuditLog(NewsDbContext db, IHttpContextAccessor http, TimeProvider time, ILogger<AuditLog> logger)
{
    public AuditEntry Add(string action, string? target = null, string? details = null, ClaimsPrincipal? user = null, string? userName = null)
    {
        var context = http.HttpContext;
        user ??= context?.User;
        var entry = new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = user?.FindFirstValue(ClaimTypes.NameIdentifier),
            UserName = Clean(userName ?? user?.Identity?.Name ?? "系统", 256),
            Action = action,
            Target = target is null ? null : Clean(target, 300),
            Details = details is null ? null : Clean(details, 2000),
            ClientAddress = context?.Connection.RemoteIpAddress?.ToString(),
        };
        db.AuditEntries.Add(entry);
        logger.LogInformation("Audit {AuditAction} on {AuditTarget} by {AuditUser} from {ClientAddress}: {AuditDetails}",
            entry.Action, entry.Target, entry.UserName, entry.ClientAddress, entry.Details);
        return entry;
    }

    public async Task WriteAsync(string action, string? target = null, string? details = null, ClaimsPrincipal? user = null,
        string? userName = null, CancellationToken ct = default)
    {
        Add(action, target, details, user, userName);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Replaces control characters (CR, LF, tabs, escapes) with spaces and bounds the length.</summary>
    public static string Clean(string value, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(value.Length, maxLength));
        foreach (var c in value)
        {
            if (builder.Length == maxLength)
            {
                break;
            }
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }
        return builder.ToString();
    }
}
