using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Settings;

/// <summary>
/// Saves the site-wide settings (name, footer, 备案 numbers, disclaimer, contact defaults) with their audit entry.
/// Optimistic concurrency on <see cref="SiteSettings.Version"/>: a save on top of someone else's is refused as a
/// conflict carrying the settings as stored now, so the page can show them beside the administrator's input.
/// </summary>
public sealed partial class SiteSettingsService(NewsDbContext db, AuditLog audit, ILogger<SiteSettingsService> logger)
{
    public const string ConflictMessage = "设置已被他人修改：您填写的内容仍保留在下面，当前保存的值列在上方。确认后再次保存将覆盖对方的修改。";
    public const string IcpMessage = "ICP 备案号格式应为“省份简称 + ICP备 + 6–10 位数字 + 号”，可带“-序号”，如 京ICP备12345678号-1。";
    public const string PublicSecurityMessage = "公安备案号格式应为“省份简称 + 公网安备 + 14 位数字 + 号”，如 京公网安备11010502000001号。";

    public async Task<SiteSettings> CurrentAsync(CancellationToken ct) =>
        await db.SiteSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SiteSettings();

    /// <summary>
    /// The checks beyond the form's attributes, on the cleaned input (normalised in place). Pages call it on their own
    /// only when the attributes already failed, so that every message shows at once.
    /// </summary>
    public static Result Check(SettingsInput input)
    {
        input.Normalize();
        return Validate(input) is { Count: > 0 } errors ? Result.Refused(errors) : Result.Done();
    }

    /// <summary>Cleans, checks and saves <paramref name="input"/>; a conflict carries the settings as stored now.</summary>
    public async Task<Result<SiteSettings>> SaveAsync(SettingsInput input, string? userName, CancellationToken ct)
    {
        if (Check(input) is { Succeeded: false } refused)
        {
            return refused.As<SiteSettings>();
        }
        var current = await db.SiteSettings.SingleOrDefaultAsync(ct);
        if (current is not null && current.Version != input.VersionGuid)
        {
            return Result<SiteSettings>.Conflict(ConflictMessage, current);
        }

        var proposed = input.ToSettings();
        var changed = current is null ? SettingsInput.Fields.Select(f => f.Label).ToList() : SettingsInput.Changed(current, proposed);
        if (changed.Count == 0)
        {
            return Result<SiteSettings>.Unchanged(current!, "设置没有变化。");
        }
        if (current is null)
        {
            db.SiteSettings.Add(proposed);
        }
        else
        {
            SettingsInput.Copy(proposed, current);
            db.Entry(current).Property(s => s.Version).OriginalValue = input.VersionGuid!.Value;
        }
        audit.Add(AuditActions.SettingsChanged, "settings", $"修改：{string.Join("、", changed)}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone saved (or created the row) since this form was loaded.
            db.ChangeTracker.Clear();
            logger.LogInformation("Site settings save by {Administrator} conflicted with another save", userName);
            return Result<SiteSettings>.Conflict(ConflictMessage,
                await db.SiteSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? proposed);
        }
        logger.LogInformation("Site settings changed by {Administrator}: {Fields}", userName, changed);
        return Result<SiteSettings>.Done(current ?? proposed, $"网站设置已保存（{string.Join("、", changed)}），读者下次打开页面即可看到。");
    }

    private static List<InputError> Validate(SettingsInput input)
    {
        var errors = new List<InputError>();
        if (input.IcpNumber is { } icp && !IcpPattern().IsMatch(icp))
        {
            errors.Add(new(nameof(SettingsInput.IcpNumber), IcpMessage));
        }
        if (input.PublicSecurityFilingNumber is { } psb && !PublicSecurityPattern().IsMatch(psb))
        {
            errors.Add(new(nameof(SettingsInput.PublicSecurityFilingNumber), PublicSecurityMessage));
        }
        if ((input.FooterLines?.Length ?? 0) > SettingsInput.FooterMaxLength)
        {
            errors.Add(new(nameof(SettingsInput.FooterLines), $"页脚文字不能超过 {SettingsInput.FooterMaxLength} 个字符。"));
        }
        return errors;
    }

    [GeneratedRegex(@"^[\u4e00-\u9fa5]ICP备[0-9]{6,10}号(-[0-9]{1,3})?$")]
    private static partial Regex IcpPattern();

    [GeneratedRegex(@"^[\u4e00-\u9fa5]公网安备[0-9]{14}号$")]
    private static partial Regex PublicSecurityPattern();
}
