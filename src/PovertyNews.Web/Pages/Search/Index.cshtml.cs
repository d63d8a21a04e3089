using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Search;

/// <summary>Reader search over published articles.</summary>
// Every field of the search form; anything else in the query string does not make a new entry.
[ReaderCache("q", "channel", "kind", "source", "author", "from", "to", "sort", "page", Tags = [CacheTags.Search])]
public class IndexModel(ArticleSearch search, PortalCache portal) : PageModel
{
    public SearchOutcome Outcome { get; private set; } = new() { Form = new() };
    public IReadOnlyList<ChannelLink> Channels { get; private set; } = [];
    public SearchFormView FormView => new(Outcome.Form, Channels, search.Options.MaxQueryLength, "/search", Staff: false);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var form = SearchForm.FromQuery(Request.Query);
        Outcome = await search.RunAsync(form, SearchScope.Public, "/search", ct);
        Channels = (await portal.GetAsync(ct)).Channels.Where(c => !c.IsHidden).ToList();
        ViewData["Query"] = Outcome.Form.Q;
        PageMeta.Set(ViewData, string.IsNullOrEmpty(Outcome.Form.Q) ? "搜索" : $"搜索：{Outcome.Form.Q}", noIndex: true);
        return Page();
    }
}
