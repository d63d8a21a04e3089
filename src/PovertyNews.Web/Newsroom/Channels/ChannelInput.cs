using System.ComponentModel.DataAnnotations;
using System.Globalization;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Newsroom.Channels;

/// <summary>The channel form (new and edit): what it binds and how it is cleaned and checked on its own.</summary>
public sealed class ChannelInput
{
    public const int NameMaxLength = 50;
    public const int DescriptionMaxLength = 500;

    [Display(Name = "栏目名称")]
    public string? Name { get; set; }

    [Display(Name = "网址别名")]
    public string? Slug { get; set; }

    [Display(Name = "栏目说明")]
    public string? Description { get; set; }

    /// <summary>Text rather than int?, so a tampered value gets a Chinese message instead of the binder's.</summary>
    [Display(Name = "上级栏目")]
    public string? ParentId { get; set; }

    /// <summary>The <see cref="Channel.Version"/> the edit form was loaded with; anything unparsable counts as stale.</summary>
    public string? Version { get; set; }

    public Guid? VersionGuid => Guid.TryParse(Version, out var v) ? v : null;

    /// <summary>The parent's id; null for the top level (or an unreadable value, which <see cref="Errors"/> reports).</summary>
    public int? Parent => int.TryParse(ParentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static ChannelInput From(Channel c) => new()
    {
        Name = c.Name, Slug = c.Slug, Description = c.Description,
        ParentId = c.ParentId?.ToString(CultureInfo.InvariantCulture), Version = c.Version.ToString(),
    };

    /// <summary>Trims, drops control characters (line breaks in the description become spaces) and blanks to null.</summary>
    public void Normalize()
    {
        Name = Line(Name);
        Slug = Line(Slug);
        Description = Line(Description);
        ParentId = Line(ParentId);
    }

    /// <summary>
    /// The checks that need no database: required fields, lengths, the slug rules. A channel keeping its
    /// <paramref name="currentSlug"/> is not asked to change it, even if it predates today's rules.
    /// </summary>
    public IEnumerable<InputError> Errors(string? currentSlug = null)
    {
        if (Name is null)
        {
            yield return new(nameof(Name), "请填写栏目名称。");
        }
        else if (Name.Length > NameMaxLength)
        {
            yield return new(nameof(Name), $"栏目名称不能超过 {NameMaxLength} 个字符。");
        }
        if ((currentSlug is null || Slug != currentSlug) && ChannelSlug.Problem(Slug) is { } problem)
        {
            yield return new(nameof(Slug), problem);
        }
        if (Description?.Length > DescriptionMaxLength)
        {
            yield return new(nameof(Description), $"栏目说明不能超过 {DescriptionMaxLength} 个字符。");
        }
        if (ParentId is not null && Parent is null)
        {
            yield return new(nameof(ParentId), "所选的上级栏目不存在。");
        }
    }

    private static string? Line(string? value) =>
        new string((value ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim() is { Length: > 0 } t ? t : null;
}
