namespace PovertyNews.Web.Newsroom.Tags;

public static class TagsSetup
{
    /// <summary>标签管理: renaming, merging and deleting tags, with redirects from the old names.</summary>
    public static IServiceCollection AddTagAdministration(this IServiceCollection services)
    {
        services.AddScoped<TagService>();
        return services;
    }
}
