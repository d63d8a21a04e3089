using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Pages.Admin.Articles;

/// <summary>The editor form offers only the channels on the person's desk (the save refuses the others anyway).</summary>
public static class DeskOptions
{
    /// <param name="keep">The article's current channel, kept so the form shows where it is now.</param>
    public static async Task<EditorFormOptions> LimitAsync(EditorFormOptions options, ArticleAccess access, Actor actor, int? keep)
    {
        if (await access.WritableChannelsAsync(actor) is not { } writable)
        {
            return options;
        }
        return options with { Channels = [.. options.Channels.Where(c => writable.Contains(c.Id) || c.Id == keep)] };
    }
}
