namespace PovertyNews.Web.Domain;

/// <summary>
/// One channel on a person's desk (责任栏目). A channel covers its sub-channels. A person with no row at all covers
/// the whole site: desks are opt-in, so an install that never assigns any keeps working as before.
/// </summary>
public class DeskAssignment
{
    public string UserId { get; set; } = "";
    public int ChannelId { get; set; }

    /// <summary>The roles desks limit. Administrators are not among them: their rights do not depend on channels.</summary>
    public static readonly IReadOnlyList<string> Roles = [NewsRoles.EditorInChief, NewsRoles.Editor, NewsRoles.Reporter];

    public static bool AppliesTo(IEnumerable<string> roles) => roles.Any(Roles.Contains);
}
