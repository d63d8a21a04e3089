using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Analytics;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.BulkActions;
using PovertyNews.Web.Newsroom.Calendar;
using PovertyNews.Web.Newsroom.Channels;
using PovertyNews.Web.Newsroom.Curation;
using PovertyNews.Web.Newsroom.Notifications;
using PovertyNews.Web.Newsroom.Publishing;
using PovertyNews.Web.Newsroom.SavedSearches;
using PovertyNews.Web.Newsroom.RecycleBin;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Newsroom.Settings;
using PovertyNews.Web.Newsroom.Tags;
using PovertyNews.Web.Newsroom.Topics;

namespace PovertyNews.Web.Newsroom;

public static class NewsroomSetup
{
    /// <summary>The newsroom: its options, then each of its parts, each registering its own services.</summary>
    public static IServiceCollection AddNewsroom(this IServiceCollection services)
    {
        services.AddOptions<NewsroomOptions>().BindConfiguration(NewsroomOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        return services
            .AddAccounts()
            .AddNewsroomAccess()
            .AddSensitiveWords()
            .AddArticles()
            .AddPublishing()
            .AddCalendar()
            .AddCuration()
            .AddChannels()
            .AddSiteSettings()
            .AddAnalytics()
            .AddNotifications()
            .AddSavedSearches()
            .AddRecycleBin()
            .AddBulkActions()
            .AddTagAdministration()
            .AddTopics();
    }
}
