using System.Globalization;

namespace PovertyNews.Web.Common;

/// <summary>
/// 适老化阅读: larger type in three steps, high contrast and wider line spacing, chosen by the reader and remembered
/// in a cookie, so it works without JavaScript (following 互联网网站适老化通用设计规范: adjustable type size, a
/// high-contrast scheme and adjustable line spacing).
/// </summary>
/// <remarks>
/// The reader's pages are output-cached; a mode is part of the cache key (<see cref="Key"/>, empty for the standard
/// mode), so each of the few combinations is rendered once and a reader in one mode never gets another's page.
/// </remarks>
public readonly record struct ReadingMode(int TextSize, bool HighContrast, bool WideSpacing)
{
    public const string CookieName = "pn-reading";
    public const int MaxTextSize = 3;

    /// <summary>The type size steps as the switch names them: 标准 is the site's own size.</summary>
    public static IReadOnlyList<string> TextSizeNames { get; } = ["标准", "大", "较大", "特大"];

    public static ReadingMode Standard => default;

    public bool IsStandard => this == Standard;

    /// <summary>
    /// The mode as one short canonical word, e.g. <c>s2cw</c>: the cookie's value and the cache key's. Empty for the
    /// standard mode, so its pages share the entries readers without a cookie fill.
    /// </summary>
    public string Key => IsStandard ? "" :
        "s" + TextSize.ToString(CultureInfo.InvariantCulture) + (HighContrast ? "c" : "") + (WideSpacing ? "w" : "");

    /// <summary>The classes the page's root element carries (null in the standard mode).</summary>
    public string? CssClass
    {
        get
        {
            if (IsStandard)
            {
                return null;
            }
            var classes = new List<string>(3);
            if (TextSize > 0)
            {
                classes.Add("mode-size-" + TextSize.ToString(CultureInfo.InvariantCulture));
            }
            if (HighContrast)
            {
                classes.Add("mode-contrast");
            }
            if (WideSpacing)
            {
                classes.Add("mode-spacing");
            }
            return string.Join(' ', classes);
        }
    }

    public ReadingMode WithTextSize(int size) => this with { TextSize = Math.Clamp(size, 0, MaxTextSize) };

    /// <summary>
    /// Reads a cookie value. Anything but a canonical key (edited by hand, from a later version) is the standard
    /// mode: a cookie must never make a page fail or add cache entries beyond the known combinations.
    /// </summary>
    public static ReadingMode Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 4 || value[0] != 's' || value.Length < 2
            || value[1] < '0' || value[1] > (char)('0' + MaxTextSize))
        {
            return Standard;
        }
        var mode = new ReadingMode(value[1] - '0', false, false);
        var rest = value.AsSpan(2);
        if (rest.StartsWith("c"))
        {
            mode = mode with { HighContrast = true };
            rest = rest[1..];
        }
        if (rest.StartsWith("w"))
        {
            mode = mode with { WideSpacing = true };
            rest = rest[1..];
        }
        return rest.IsEmpty ? mode : Standard;
    }

    public static ReadingMode Of(HttpRequest request) => Parse(request.Cookies[CookieName]);
}
