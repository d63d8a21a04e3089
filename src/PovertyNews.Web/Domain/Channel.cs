namespace PovertyNews.Web.Domain;

/// <summary>A section of the portal (栏目). Channels form a tree; a channel's page lists its sub-channels' articles too.</summary>
public class Channel
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int? ParentId { get; set; }
    public Channel? Parent { get; set; }
    public List<Channel> Children { get; set; } = [];
    public int SortOrder { get; set; }

    /// <summary>Hidden channels keep their pages but stay out of the navigation and the front page's blocks.</summary>
    public bool IsHidden { get; set; }

    public List<Article> Articles { get; set; } = [];
}
