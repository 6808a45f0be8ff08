package dev.autodoc.common.event;

/**
 * How good a scope's pages are: how many, their mean and lowest score (0..1), how many ended below
 * the scope's threshold, and how many generation attempts the quality loop made in all.
 */
public record QualitySummary(
    int pages, double meanScore, double minScore, int belowThreshold, int attempts) {}
