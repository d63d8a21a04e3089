using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> k)
    {
        k.Property(x => x.Name).HasMaxLength(ApiKey.MaxNameLength);
        k.Property(x => x.Prefix).HasMaxLength(ApiKey.PrefixLength);
        k.HasIndex(x => x.Prefix).IsUnique();
        k.Property(x => x.SecretHash).HasMaxLength(64);
        k.Property(x => x.CreatedBy).HasMaxLength(256);
    }
}

internal sealed class ApiKeyDailyUseConfiguration : IEntityTypeConfiguration<ApiKeyDailyUse>
{
    public void Configure(EntityTypeBuilder<ApiKeyDailyUse> u)
    {
        u.HasKey(x => new { x.ApiKeyId, x.Day });
        u.HasOne<ApiKey>().WithMany().HasForeignKey(x => x.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> e)
    {
        e.Property(x => x.Name).HasMaxLength(WebhookEndpoint.MaxNameLength);
        e.Property(x => x.Url).HasMaxLength(WebhookEndpoint.MaxUrlLength);
        e.Property(x => x.ProtectedSecret).HasMaxLength(1000);
        e.Property(x => x.CreatedBy).HasMaxLength(256);
    }
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> e)
    {
        e.Property(x => x.Key).HasMaxLength(WebhookEvent.MaxKeyLength);
        e.HasIndex(x => x.Key).IsUnique();
        e.Property(x => x.Type).HasMaxLength(40);
        // The fan-out job reads the events not yet fanned out.
        e.HasIndex(x => x.FannedOutAt);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> d)
    {
        d.HasOne<WebhookEvent>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Cascade);
        d.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
        // One delivery per event and endpoint, whichever node fans out.
        d.HasIndex(x => new { x.EventId, x.EndpointId }).IsUnique();
        // The sender's due query and the delivery log.
        d.HasIndex(x => new { x.Status, x.NextAttemptAt });
        d.HasIndex(x => new { x.EndpointId, x.CreatedAt });
        d.Property(x => x.LastError).HasMaxLength(1000);
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> c)
    {
        c.HasOne<Article>().WithMany().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        c.Property(x => x.AuthorName).HasMaxLength(Comment.MaxNameLength);
        c.Property(x => x.Body).HasMaxLength(Comment.MaxBodyLength);
        c.Property(x => x.Reply).HasMaxLength(Comment.MaxReplyLength);
        c.Property(x => x.UserId).HasMaxLength(450);
        c.Property(x => x.ClientHash).HasMaxLength(64);
        c.Property(x => x.FlaggedWords).HasMaxLength(500);
        c.Property(x => x.ModeratedBy).HasMaxLength(256);
        c.Property(x => x.RepliedBy).HasMaxLength(256);
        // An article's approved comments in order; the moderation queue; a client's recent comments (rate limit).
        c.HasIndex(x => new { x.ArticleId, x.Status, x.CreatedAt });
        c.HasIndex(x => new { x.Status, x.CreatedAt });
        c.HasIndex(x => new { x.ClientHash, x.CreatedAt });
    }
}
