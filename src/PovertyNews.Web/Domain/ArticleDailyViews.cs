namespace PovertyNews.Web.Domain;

/// <summary>Reads of one article on one day (China Standard Time); feeds the 热点新闻 ranking.</summary>
public class ArticleDailyViews
{
    public int ArticleId { get; set; }
    public DateOnly Day { get; set; }
    public long Views { get; set; }
}
