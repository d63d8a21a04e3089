using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Articles;

/// <summary>The word gate as other features ask for it; the newsroom's own steps call <see cref="ArticleEditor.GateAsync"/>.</summary>
public sealed class ReaderTextGate(ArticleEditor editor, ArticleScreening screening) : IReaderTextGate
{
    public async Task<IReadOnlyList<string>> ScreenAsync(Article article, string stepName, CancellationToken ct) =>
        await screening.ScreenAsync(article, ct) is { IsBlocked: true } report ? report.BlockMessages(stepName) : [];

    public async Task<IReadOnlyList<string>> PassAsync(Article article, string stepName, CancellationToken ct) =>
        (await editor.GateAsync(article, null, ct)).Refusals(stepName);
}
