namespace PovertyNews.Web.Newsroom.Topics;

public static class TopicsSetup
{
    /// <summary>专题: topic pages made by editors (sections, hand-picked reports, 大事记).</summary>
    public static IServiceCollection AddTopics(this IServiceCollection services)
    {
        services.AddScoped<TopicService>();
        return services;
    }
}
