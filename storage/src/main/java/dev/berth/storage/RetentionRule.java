package dev.berth.storage;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.berth.core.RepositoryPattern;

/**
 * A rule that deletes tags of the repositories it names, applied by garbage collection before
 * the mark, so the manifests those tags held are collected in the same run once their grace has
 * passed.
 *
 * <p>Which repositories: {@code repositoryPattern} is matched against the whole repository name.
 * {@code *} matches any characters within one path component, {@code **} any characters across
 * components, so {@code team/*} matches {@code team/app} but not {@code team/a/b} and
 * {@code team/**} matches both (but not {@code team} itself); a lone {@code *} or {@code **}
 * matches every repository. Other characters match themselves. When several rules match a
 * repository, the first in the list applies and the others are ignored, so list specific rules
 * before catch-all ones.
 *
 * <p>Which tags, within one repository: tags whose whole name matches {@code keepTagsRegex} are
 * set aside first; they are never deleted and do not count towards {@code keepNewest}. The other
 * tags are ranked newest first by {@code updated_at} (when the tag was last pushed or moved),
 * ties broken by name, the later name in code-point order counting as newer. A tag is deleted
 * when every criterion that is set selects it:
 * <ul>
 *   <li>{@code keepNewest} set: the tag is not among the first {@code keepNewest} of the ranking;
 *   <li>{@code deleteOlderThan} set: the tag was last updated more than that long before the run.
 * </ul>
 * With both set, a tag goes only when it is both outside the newest {@code keepNewest} and older
 * than {@code deleteOlderThan}: the newest are always kept, and so is anything recent.
 *
 * @param repositoryPattern which repositories the rule applies to
 * @param keepNewest how many tags to keep by recency, or null for no count criterion
 * @param keepTagsRegex tags never deleted, as a Java regular expression matched against the whole
 *        tag, or null to protect none
 * @param deleteOlderThan the age past which tags may go, or null for no age criterion
 */
public record RetentionRule(String repositoryPattern, Integer keepNewest, String keepTagsRegex,
        Duration deleteOlderThan) {

    public RetentionRule {
        if (repositoryPattern == null) {
            throw new IllegalArgumentException("repositoryPattern: null (expected: a repository pattern)");
        }
        try {
            RepositoryPattern.parse(repositoryPattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("repositoryPattern: " + e.getMessage(), e);
        }
        if (keepNewest != null && keepNewest < 0) {
            throw new IllegalArgumentException("keepNewest: " + keepNewest
                    + " (expected: zero or more)");
        }
        if (deleteOlderThan != null && (deleteOlderThan.isNegative() || deleteOlderThan.isZero())) {
            throw new IllegalArgumentException("deleteOlderThan: " + deleteOlderThan
                    + " (expected: positive)");
        }
        if (keepNewest == null && deleteOlderThan == null) {
            throw new IllegalArgumentException("rule for " + repositoryPattern
                    + ": no criterion (expected: keepNewest, deleteOlderThan or both)");
        }
        if (keepTagsRegex != null) {
            try {
                Pattern.compile(keepTagsRegex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("keepTagsRegex: " + keepTagsRegex
                        + " (expected: a Java regular expression; " + e.getDescription() + ")", e);
            }
        }
    }
}
