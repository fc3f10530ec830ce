package io.rebound.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The bus as an operator needs to see it: how far behind Rebound's consumer groups are,
 * partition by partition, and how many records each dead-letter topic holds.
 */
@Component
@NamedInterface("status")
public class BusStatus {

	private static final long TIMEOUT_MS = 5000;

	/**
	 * One partition of a consumer group.
	 *
	 * @param group the consumer group
	 * @param topic the topic
	 * @param partition the partition
	 * @param committed the committed offset, or -1 when none
	 * @param end the log end offset
	 * @param lag records not yet committed
	 */
	public record PartitionLag(String group, String topic, int partition, long committed, long end, long lag) {
	}

	/**
	 * A dead-letter topic.
	 *
	 * @param topic the topic
	 * @param records records it holds (log end minus log start, over its partitions)
	 */
	public record DeadLetterTopic(String topic, long records) {
	}

	/**
	 * A member of a consumer group: one consuming Rebound instance (or thread of one).
	 *
	 * @param group the group
	 * @param clientId the member's client id
	 * @param host where it connects from
	 * @param partitions how many partitions it holds
	 */
	public record Member(String group, String clientId, String host, int partitions) {
	}

	private final Admin admin;

	private final IngestTopics topics;

	BusStatus(Admin kafkaAdminClient, IngestTopics topics) {
		this.admin = kafkaAdminClient;
		this.topics = topics;
	}

	public List<PartitionLag> lag(List<String> groups) throws Exception {
		List<PartitionLag> lags = new ArrayList<>();
		for (String group : groups) {
			Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
			// partitions assigned but never committed count too: all they hold is lag
			Set<TopicPartition> partitions = new HashSet<>(committed.keySet());
			this.admin.describeConsumerGroups(List.of(group))
				.all()
				.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
				.values()
				.forEach((description) -> description.members()
					.forEach((member) -> partitions.addAll(member.assignment().topicPartitions())));
			Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
			for (TopicPartition tp : partitions) {
				OffsetAndMetadata offset = committed.get(tp);
				long end = ends.get(tp).offset();
				long at = (offset != null) ? offset.offset() : -1;
				lags.add(new PartitionLag(group, tp.topic(), tp.partition(), at, end, end - Math.max(at, 0)));
			}
		}
		lags.sort(Comparator.comparing(PartitionLag::group)
			.thenComparing(PartitionLag::topic)
			.thenComparingInt(PartitionLag::partition));
		return lags;
	}

	/** The members of the groups: which instances consume, and how much each holds. */
	public List<Member> members(List<String> groups) throws Exception {
		List<Member> members = new ArrayList<>();
		this.admin.describeConsumerGroups(groups)
			.all()
			.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
			.forEach((group, description) -> description.members()
				.forEach((member) -> members.add(new Member(group, member.clientId(), member.host(),
						member.assignment().topicPartitions().size()))));
		members.sort(Comparator.comparing(Member::group).thenComparing(Member::clientId));
		return members;
	}

	public List<DeadLetterTopic> deadLetters() throws Exception {
		List<String> names = new ArrayList<>(this.topics.allErrors());
		names.add(this.topics.heartbeats());
		List<String> dlts = names.stream().map(IngestTopics::deadLetter).toList();
		List<TopicPartition> partitions = this.admin.describeTopics(dlts)
			.allTopicNames()
			.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
			.values()
			.stream()
			.flatMap((d) -> d.partitions().stream().map((p) -> new TopicPartition(d.name(), p.partition())))
			.toList();
		Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
		Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(partitions, OffsetSpec.earliest());
		Map<String, Long> counts = new TreeMap<>();
		for (TopicPartition tp : partitions) {
			counts.merge(tp.topic(), ends.get(tp).offset() - starts.get(tp).offset(), Long::sum);
		}
		return counts.entrySet().stream().map((e) -> new DeadLetterTopic(e.getKey(), e.getValue())).toList();
	}

	private Map<TopicPartition, ListOffsetsResultInfo> offsets(java.util.Collection<TopicPartition> partitions,
			OffsetSpec spec) throws Exception {
		return this.admin.listOffsets(partitions.stream().collect(Collectors.toMap((tp) -> tp, (tp) -> spec)))
			.all()
			.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
	}

}
