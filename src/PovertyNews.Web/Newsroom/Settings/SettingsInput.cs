using System.ComponentModel.DataAnnotations;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Settings;

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
