using System.ComponentModel.DataAnnotations;

namespace PovertyNews.Web.Newsroom;

/// <summary>The "PovertyNews:Newsroom" section: the workflow and the sign-in rules.</summary>
public sealed class NewsroomOptions
{
    public const string SectionName = "PovertyNews:Newsroom";

    /// <summary>How many review levels (初审, 复审, 终审) an article passes before it can be published.</summary>
    [Range(1, 3)]
    public int ReviewLevels { get; set; } = 3;

    /// <summary>
    /// How many levels an edit of reviewed text (approved, scheduled or published) passes before readers see it.
    /// Unset: the full chain, with its last level the editor-in-chief's. Fewer (a 更正 needing one level): any editor
    /// other than the change's authors may pass it.
    /// </summary>
    [Range(1, 3)]
    public int? ChangeReviewLevels { get; set; }

    public int EffectiveChangeReviewLevels => Math.Min(ChangeReviewLevels ?? ReviewLevels, ReviewLevels);

    /// <summary>Sign-in attempts allowed per client address and minute before answering 429.</summary>
    [Range(1, 1000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>A session ends after this long without a request (a working day).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Article previews rendered at once, across the newsroom. Unset: half the processors (at least one), so
    /// readers keep the rest however many editors preview long reports.
    /// </summary>
    [Range(1, 256)]
    public int? PreviewConcurrency { get; set; }

    public int EffectivePreviewConcurrency => PreviewConcurrency ?? Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Previews that wait for a turn; one more is answered 429 and the editor's script retries it.</summary>
    [Range(0, 1000)]
    public int PreviewQueueLimit { get; set; } = 4;

    /// <summary>How often the scheduler looks for articles whose time has come.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(20);
}
