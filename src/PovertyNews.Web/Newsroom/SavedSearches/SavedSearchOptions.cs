using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Newsroom.SavedSearches;

/// <summary>The "PovertyNews:SavedSearches" section.</summary>
public sealed class SavedSearchOptions
{
    public const string SectionName = "PovertyNews:SavedSearches";

    /// <summary>How often the alerting searches are run over the reports published since their last run.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AlertInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Saved searches one person may keep.</summary>
    [Range(1, 1000)]
    public int MaxPerPerson { get; set; } = 50;
}
