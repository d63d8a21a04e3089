using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Web.Pages.Admin;

/// <summary>What the 批量操作 bar of the article list and the staff search offers: the channels to move reports to.</summary>
public sealed record BulkBarView(IReadOnlyList<ChannelOption> Channels);
