namespace PovertyNews.Web.Newsroom.Articles;

// PLACEHOLDER: saving articles (input → article, rendering, revisions, concurrency) is being written.
public sealed class ArticleEditor
{
}
