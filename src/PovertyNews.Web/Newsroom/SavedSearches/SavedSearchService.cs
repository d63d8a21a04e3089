using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.SavedSearches;

/// <summary>
/// 保存的检索: one person's named staff searches (the search page's query string as it read it), each with an
/// optional alert. Only the owner reads or changes one; anyone else's id is not found.
/// </summary>
public sealed class SavedSearchService(NewsDbContext db, AuditLog audit, TimeProvider time, IOptions<SavedSearchOptions> options,
    ILogger<SavedSearchService> logger)
{
    public const string Saved = "saved-search.created";
    public const string Changed = "saved-search.changed";
    public const string Deleted = "saved-search.deleted";
    public const int NameMaxLength = 100;
    public const int QueryMaxLength = 2000;
    public const string NotFoundMessage = "没有这个保存的检索。";

    public async Task<Result<int>> CreateAsync(string userId, string? name, string? query, bool alert, CancellationToken ct)
    {
        var cleanName = (name ?? "").Trim();
        var cleanQuery = (query ?? "").Trim();
        if (NameError(cleanName) is { } nameError)
        {
            return Result.Refused(new InputError("Name", nameError)).As<int>();
        }
        if (cleanQuery.Length > QueryMaxLength || !cleanQuery.StartsWith('?') || !cleanQuery.Contains("q=", StringComparison.Ordinal))
        {
            return Result.Refused("只能保存有检索词的检索，请先检索再保存。").As<int>();
        }
        if (await db.SavedSearches.CountAsync(s => s.UserId == userId, ct) >= options.Value.MaxPerPerson)
        {
            return Result.Refused($"每人最多保存 {options.Value.MaxPerPerson} 个检索，请先删除不用的。").As<int>();
        }
        if (await db.SavedSearches.AnyAsync(s => s.UserId == userId && s.Name == cleanName, ct))
        {
            return Result.Refused(new InputError("Name", $"您已有名为“{cleanName}”的检索，请换一个名称。")).As<int>();
        }
        var now = time.GetUtcNow().UtcDateTime;
        // An alert tells of reports published from now on, not of the archive the search already shows.
        var saved = new SavedSearch { UserId = userId, Name = cleanName, Query = cleanQuery, Alert = alert, CreatedAt = now, CheckedUpTo = now };
        db.SavedSearches.Add(saved);
        audit.Add(Saved, $"user:{userId}", $"{cleanName}：{cleanQuery}{(alert ? "（提醒）" : "")}");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Saved search {SavedSearchId} of {UserId} created, alert {Alert}", saved.Id, userId, alert);
        return Result<int>.Done(saved.Id, alert ? $"已保存检索“{cleanName}”，有新稿件发布时会提醒您。" : $"已保存检索“{cleanName}”。");
    }

    public async Task<Result> RenameAsync(string userId, int id, string? name, CancellationToken ct)
    {
        var saved = await db.SavedSearches.SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId, ct);
        if (saved is null)
        {
            return Result.NotFound(NotFoundMessage);
        }
        var cleanName = (name ?? "").Trim();
        if (NameError(cleanName) is { } nameError)
        {
            return Result.Refused(new InputError("Name", nameError));
        }
        if (cleanName == saved.Name)
        {
            return Result.Unchanged("名称没有变化。");
        }
        if (await db.SavedSearches.AnyAsync(s => s.UserId == userId && s.Name == cleanName && s.Id != id, ct))
        {
            return Result.Refused(new InputError("Name", $"您已有名为“{cleanName}”的检索，请换一个名称。"));
        }
        audit.Add(Changed, $"user:{userId}", $"改名：{saved.Name} → {cleanName}");
        saved.Name = cleanName;
        await db.SaveChangesAsync(ct);
        return Result.Done($"已改名为“{cleanName}”。");
    }

    public async Task<Result> SetAlertAsync(string userId, int id, bool alert, CancellationToken ct)
    {
        var saved = await db.SavedSearches.SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId, ct);
        if (saved is null)
        {
            return Result.NotFound(NotFoundMessage);
        }
        if (saved.Alert == alert)
        {
            return Result.Unchanged();
        }
        saved.Alert = alert;
        if (alert)
        {
            // Turned on again: from now on, not the reports that went out while it was off.
            saved.CheckedUpTo = time.GetUtcNow().UtcDateTime;
        }
        audit.Add(Changed, $"user:{userId}", $"{saved.Name}：{(alert ? "开启" : "关闭")}提醒");
        await db.SaveChangesAsync(ct);
        return Result.Done(alert ? $"“{saved.Name}”有新稿件时会提醒您。" : $"已关闭“{saved.Name}”的提醒。");
    }

    public async Task<Result> DeleteAsync(string userId, int id, CancellationToken ct)
    {
        var saved = await db.SavedSearches.SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId, ct);
        if (saved is null)
        {
            return Result.NotFound(NotFoundMessage);
        }
        db.SavedSearches.Remove(saved);
        audit.Add(Deleted, $"user:{userId}", saved.Name);
        await db.SaveChangesAsync(ct);
        return Result.Done($"已删除检索“{saved.Name}”。");
    }

    private static string? NameError(string name) =>
        name.Length == 0 ? "请填写检索的名称。"
        : name.Length > NameMaxLength ? $"名称不能超过 {NameMaxLength} 个字。"
        : name.Any(char.IsControl) ? "名称里不能有控制字符。"
        : null;
}
