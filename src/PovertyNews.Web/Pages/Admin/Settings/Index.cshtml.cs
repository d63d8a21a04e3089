using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Admin.Settings;

/// <summary>
/// Site-wide settings (name, footer, 备案 numbers, disclaimer, contact defaults). Optimistic concurrency on
/// <see cref="SiteSettings.Version"/>: a conflicting save keeps the administrator's input and shows what is stored now.
/// </summary>
[Authorize(Roles = NewsRoles.Administrator)]
public partial class IndexModel(NewsDbContext db, AuditLog audit, ILogger<IndexModel> logger) : PageModel
{
    public const string ConflictMessage = "设置已被他人修改：您填写的内容仍保留在下面，当前保存的值列在上方。确认后再次保存将覆盖对方的修改。";
    public const string IcpMessage = "ICP 备案号格式应为“省份简称 + ICP备 + 6–10 位数字 + 号”，可带“-序号”，如 京ICP备12345678号-1。";
    public const string PublicSecurityMessage = "公安备案号格式应为“省份简称 + 公网安备 + 14 位数字 + 号”，如 京公网安备11010502000001号。";

    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    /// <summary>After a conflict: the fields whose stored value differs from the input, with the stored value.</summary>
    public IReadOnlyList<(string Label, string Value)> StoredValues { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        SetTitle();
        var settings = await db.SiteSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new SiteSettings();
        Input = SettingsInput.From(settings);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        SetTitle();
        var current = await db.SiteSettings.SingleOrDefaultAsync(ct);
        Input.Normalize();
        Validate();
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (current is not null && current.Version != Input.VersionGuid)
        {
            return ShowConflict(current);
        }

        var proposed = Input.ToSettings();
        var changed = current is null ? SettingsInput.Fields.Select(f => f.Label).ToList() : SettingsInput.Changed(current, proposed);
        if (changed.Count == 0)
        {
            TempData["Flash"] = "设置没有变化。";
            return Redirect(Url.Page("/Admin/Settings/Index")!);
        }
        if (current is null)
        {
            db.SiteSettings.Add(proposed);
        }
        else
        {
            SettingsInput.Copy(proposed, current);
            db.Entry(current).Property(s => s.Version).OriginalValue = Input.VersionGuid!.Value;
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
            return ShowConflict(await db.SiteSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? proposed);
        }
        logger.LogInformation("Site settings changed by {Administrator}: {Fields}", User.Identity?.Name, changed);
        TempData["Flash"] = $"网站设置已保存（{string.Join("、", changed)}），读者下次打开页面即可看到。";
        return Redirect(Url.Page("/Admin/Settings/Index")!);
    }

    private PageResult ShowConflict(SiteSettings stored)
    {
        var mine = Input.ToSettings();
        StoredValues = SettingsInput.Fields.Where(f => !Equals(f.Get(stored), f.Get(mine)))
            .Select(f => (f.Label, f.Get(stored)?.ToString() is { Length: > 0 } v ? v : "（空）")).ToList();
        ModelState.Remove($"{nameof(Input)}.{nameof(SettingsInput.Version)}");
        Input.Version = stored.Version.ToString();
        ModelState.AddModelError("", ConflictMessage);
        return Page();
    }

    private void Validate()
    {
        const string prefix = nameof(Input) + ".";
        if (Input.IcpNumber is { } icp && !IcpPattern().IsMatch(icp))
        {
            ModelState.AddModelError(prefix + nameof(SettingsInput.IcpNumber), IcpMessage);
        }
        if (Input.PublicSecurityFilingNumber is { } psb && !PublicSecurityPattern().IsMatch(psb))
        {
            ModelState.AddModelError(prefix + nameof(SettingsInput.PublicSecurityFilingNumber), PublicSecurityMessage);
        }
        if ((Input.FooterLines?.Length ?? 0) > SettingsInput.FooterMaxLength)
        {
            ModelState.AddModelError(prefix + nameof(SettingsInput.FooterLines), $"页脚文字不能超过 {SettingsInput.FooterMaxLength} 个字符。");
        }
    }

    private void SetTitle()
    {
        ViewData["Title"] = "网站设置";
        ViewData["AdminSection"] = "settings";
    }

    [GeneratedRegex(@"^[\u4e00-\u9fa5]ICP备[0-9]{6,10}号(-[0-9]{1,3})?$")]
    private static partial Regex IcpPattern();

    [GeneratedRegex(@"^[\u4e00-\u9fa5]公网安备[0-9]{14}号$")]
    private static partial Regex PublicSecurityPattern();
}

/// <summary>The settings form: what it binds, how it is cleaned, and the field names used in the audit log.</summary>
public sealed class SettingsInput
{
    public const int FooterMaxLength = 2000;

    [Required(ErrorMessage = "请填写网站名称。"), StringLength(100, ErrorMessage = "网站名称不能超过 {1} 个字符。")]
    [Display(Name = "网站名称")]
    public string SiteName { get; set; } = "";

    [StringLength(200, ErrorMessage = "口号不能超过 {1} 个字符。"), Display(Name = "口号")]
    public string? Tagline { get; set; }

    [StringLength(200, ErrorMessage = "版权所有者不能超过 {1} 个字符。"), Display(Name = "版权所有")]
    public string? CopyrightOwner { get; set; }

    [StringLength(2000, ErrorMessage = "版权及免责声明不能超过 {1} 个字符。"), Display(Name = "版权及免责声明")]
    public string? CopyrightNotice { get; set; }

    [StringLength(50, ErrorMessage = "ICP 备案号不能超过 {1} 个字符。"), Display(Name = "ICP 备案号")]
    public string? IcpNumber { get; set; }

    [StringLength(50, ErrorMessage = "公安备案号不能超过 {1} 个字符。"), Display(Name = "公安备案号")]
    public string? PublicSecurityFilingNumber { get; set; }

    [StringLength(4000, ErrorMessage = "页脚文字过长。"), Display(Name = "页脚文字")]
    public string? FooterLines { get; set; }

    [StringLength(50, ErrorMessage = "新闻热线不能超过 {1} 个字符。"), Display(Name = "默认新闻热线")]
    public string? DefaultHotline { get; set; }

    [StringLength(100, ErrorMessage = "微信公众号不能超过 {1} 个字符。"), Display(Name = "默认微信公众号")]
    public string? DefaultWeChat { get; set; }

    /// <summary>The <see cref="SiteSettings.Version"/> the form was loaded with; anything unparsable counts as stale.</summary>
    public string? Version { get; set; }

    public Guid? VersionGuid => Guid.TryParse(Version, out var v) ? v : null;

    public static readonly IReadOnlyList<(string Label, Func<SiteSettings, object?> Get)> Fields =
    [
        ("网站名称", s => s.SiteName), ("口号", s => s.Tagline), ("版权所有", s => s.CopyrightOwner),
        ("版权及免责声明", s => s.CopyrightNotice), ("ICP 备案号", s => s.IcpNumber),
        ("公安备案号", s => s.PublicSecurityFilingNumber), ("页脚文字", s => s.FooterLines),
        ("默认新闻热线", s => s.DefaultHotline), ("默认微信公众号", s => s.DefaultWeChat),
    ];

    public static SettingsInput From(SiteSettings s) => new()
    {
        SiteName = s.SiteName, Tagline = s.Tagline, CopyrightOwner = s.CopyrightOwner, CopyrightNotice = s.CopyrightNotice,
        IcpNumber = s.IcpNumber, PublicSecurityFilingNumber = s.PublicSecurityFilingNumber, FooterLines = s.FooterLines,
        DefaultHotline = s.DefaultHotline, DefaultWeChat = s.DefaultWeChat, Version = s.Version.ToString(),
    };

    public SiteSettings ToSettings() => new()
    {
        SiteName = SiteName, Tagline = Tagline, CopyrightOwner = CopyrightOwner ?? "", CopyrightNotice = CopyrightNotice ?? "",
        IcpNumber = IcpNumber, PublicSecurityFilingNumber = PublicSecurityFilingNumber, FooterLines = FooterLines,
        DefaultHotline = DefaultHotline, DefaultWeChat = DefaultWeChat,
    };

    public static void Copy(SiteSettings from, SiteSettings to)
    {
        to.SiteName = from.SiteName; to.Tagline = from.Tagline; to.CopyrightOwner = from.CopyrightOwner;
        to.CopyrightNotice = from.CopyrightNotice; to.IcpNumber = from.IcpNumber;
        to.PublicSecurityFilingNumber = from.PublicSecurityFilingNumber; to.FooterLines = from.FooterLines;
        to.DefaultHotline = from.DefaultHotline; to.DefaultWeChat = from.DefaultWeChat;
    }

    public static List<string> Changed(SiteSettings before, SiteSettings after) =>
        Fields.Where(f => !Equals(f.Get(before) is "" ? null : f.Get(before), f.Get(after) is "" ? null : f.Get(after)))
            .Select(f => f.Label).ToList();

    /// <summary>Trims, drops control characters (keeping line breaks in the multi-line fields) and blanks to null.</summary>
    public void Normalize()
    {
        SiteName = Line(SiteName) ?? "";
        Tagline = Line(Tagline);
        CopyrightOwner = Line(CopyrightOwner);
        CopyrightNotice = Text(CopyrightNotice);
        IcpNumber = Line(IcpNumber);
        PublicSecurityFilingNumber = Line(PublicSecurityFilingNumber);
        FooterLines = Blank(string.Join('\n', (Text(FooterLines) ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)));
        DefaultHotline = Line(DefaultHotline);
        DefaultWeChat = Line(DefaultWeChat);
    }

    private static string? Line(string? value) => Blank(new string((value ?? "").Where(c => !char.IsControl(c)).ToArray()));

    private static string? Text(string? value) =>
        Blank(new string((value ?? "").Replace("\r\n", "\n").Replace('\r', '\n').Where(c => c == '\n' || !char.IsControl(c)).ToArray()));

    private static string? Blank(string value) => value.Trim() is { Length: > 0 } t ? t : null;
}
