using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> t)
    {
        t.Property(x => x.Slug).HasMaxLength(Topic.MaxSlugLength);
        t.HasIndex(x => x.Slug).IsUnique();
        t.Property(x => x.Title).HasMaxLength(Topic.MaxTitleLength);
        t.Property(x => x.IntroductionMarkdown).HasMaxLength(Topic.MaxIntroductionLength);
        t.Property(x => x.BannerImageUrl).HasMaxLength(500);
        t.Property(x => x.BannerImageAlt).HasMaxLength(MediaItem.MaxAltTextLength);
        // /topics and the front page list the published ones in order.
        t.HasIndex(x => new { x.IsPublished, x.Position });
        t.HasMany(x => x.Sections).WithOne().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        t.HasMany(x => x.Timeline).WithOne().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        t.HasMany(x => x.OldSlugs).WithOne().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TopicRedirectConfiguration : IEntityTypeConfiguration<TopicRedirect>
{
    public void Configure(EntityTypeBuilder<TopicRedirect> r)
    {
        r.Property(x => x.OldSlug).HasMaxLength(Topic.MaxSlugLength);
        r.HasIndex(x => x.OldSlug).IsUnique();
    }
}

internal sealed class TopicSectionConfiguration : IEntityTypeConfiguration<TopicSection>
{
    public void Configure(EntityTypeBuilder<TopicSection> s)
    {
        s.Property(x => x.Title).HasMaxLength(TopicSection.MaxTitleLength);
        s.HasIndex(x => new { x.TopicId, x.Position });
        // A tag or channel that goes away empties the section rather than the topic.
        s.HasOne<Tag>().WithMany().HasForeignKey(x => x.TagId).OnDelete(DeleteBehavior.SetNull);
        s.HasOne<Channel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.SetNull);
        s.HasMany(x => x.Articles).WithOne().HasForeignKey(x => x.SectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TopicSectionArticleConfiguration : IEntityTypeConfiguration<TopicSectionArticle>
{
    public void Configure(EntityTypeBuilder<TopicSectionArticle> a)
    {
        a.HasKey(x => new { x.SectionId, x.ArticleId });
        // Eviction: which topics show a changed article.
        a.HasIndex(x => x.ArticleId);
        a.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TopicTimelineEntryConfiguration : IEntityTypeConfiguration<TopicTimelineEntry>
{
    public void Configure(EntityTypeBuilder<TopicTimelineEntry> e)
    {
        e.Property(x => x.Text).HasMaxLength(TopicTimelineEntry.MaxTextLength);
        e.HasIndex(x => new { x.TopicId, x.Date });
        e.HasIndex(x => x.ArticleId);
        e.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.SetNull);
    }
}
