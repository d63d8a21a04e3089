namespace PovertyNews.Web.Domain;

public class Tag
{
    public int Id { get; set; }

    /// <summary>The tag as readers see it and as it appears in /tags/{name}.</summary>
    public required string Name { get; set; }

    public List<Article> Articles { get; set; } = [];
}
